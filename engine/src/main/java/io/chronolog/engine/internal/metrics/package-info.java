/** The engine's meters, registered once per open database in the caller's Micrometer registry. */
package io.chronolog.engine.internal.metrics;
