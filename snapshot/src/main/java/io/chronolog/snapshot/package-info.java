/** Chronolog snapshot module. */
package io.chronolog.snapshot;
