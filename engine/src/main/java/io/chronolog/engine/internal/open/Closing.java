package io.chronolog.engine.internal.open;

import io.chronolog.engine.ChronologException;
import java.util.List;

/** Closes an open's parts in order, keeping the first failure and suppressing the rest onto it. Stateless. */
public final class Closing {
    private Closing() {
    }

    /** Closes each of {@code parts}; returns {@code failure}, or the first failure met, with later ones suppressed. */
    public static ChronologException closeAll(String name, List<AutoCloseable> parts, ChronologException failure) {
        for (AutoCloseable c : parts) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new ChronologException("database " + name + ": error while closing: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    /** Closes what an open that failed had opened, adding any failure to {@code cause}. */
    static void abandon(List<AutoCloseable> opened, Throwable cause) {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }
}
