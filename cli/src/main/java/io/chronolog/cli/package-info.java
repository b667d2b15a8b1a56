/** Chronolog cli module. */
package io.chronolog.cli;
