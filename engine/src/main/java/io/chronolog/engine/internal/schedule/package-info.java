/** The background scheduler: the one owner of every periodic job of a writing open. */
package io.chronolog.engine.internal.schedule;
