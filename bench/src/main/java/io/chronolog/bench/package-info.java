/** Chronolog bench module. */
package io.chronolog.bench;
