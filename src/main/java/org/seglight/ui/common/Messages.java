package org.seglight.ui.common;

import java.util.concurrent.ExecutionException;

/** The one sentence of an error that a user should read. */
public final class Messages {

    private Messages() {}

    /** The innermost message that says something (not a wrapper's "java.io.IOException: …"). */
    public static String of(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof ExecutionException
                || t.getMessage().startsWith(t.getCause().getClass().getName()))) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
