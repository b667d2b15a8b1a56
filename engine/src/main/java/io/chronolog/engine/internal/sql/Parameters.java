package io.chronolog.engine.internal.sql;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;

/**
 * The parameters a statement ({@code io.chronolog.engine.Statement}) holds: values already normalised to SQLite's types
 * ({@code null}, {@link Long}, {@link Double}, {@link String}, {@code byte[]}), in a list that
 * cannot be modified and hands out a copy of a blob each time one is read, so no caller can change
 * a statement. {@link #view} gives the engine the values without those copies, for code that only
 * reads them (binding, checking, encoding). Immutable and thread-safe.
 */
public final class Parameters extends AbstractList<Object> implements RandomAccess {
    private final List<Object> values;

    /** Wraps {@code normalised}, which the caller gives up: nothing else may hold or change it. */
    public Parameters(Object[] normalised) {
        this.values = Collections.unmodifiableList(Arrays.asList(normalised));
    }

    /**
     * A statement's parameters ({@code statement.params()}) without copying blobs; callers must
     * not modify a blob.
     */
    public static List<Object> view(List<Object> params) {
        return params instanceof Parameters p ? p.values : params;
    }

    /** The parameter at {@code index}; a blob is returned as a copy. */
    @Override
    public Object get(int index) {
        Object v = values.get(index);
        return v instanceof byte[] b ? b.clone() : v;
    }

    @Override
    public int size() {
        return values.size();
    }
}
