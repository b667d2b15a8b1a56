/**
 * {@code chronolog}, the operator recovery tool: one class per verb, human output through
 * {@link io.chronolog.cli.Renderer}, {@code --json} through {@link io.chronolog.cli.Json}.
 */
package io.chronolog.cli;
