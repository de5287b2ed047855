package org.seglight.task;

/** Long work stopped because the user asked; what was finished so far is kept. */
public final class CancelledException extends RuntimeException {

    public CancelledException(String message) {
        super(message);
    }
}
