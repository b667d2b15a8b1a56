/**
 * Not API: the byte layouts of checkpoint files and the catalogue, and the streams that write and
 * verify them. Only {@code io.chronolog.snapshot} uses these classes; they may change in any
 * release.
 */
package io.chronolog.snapshot.internal;
