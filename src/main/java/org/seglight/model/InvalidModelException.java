package org.seglight.model;

/** A model file that cannot be used; the message is safe to show to a user as it is. */
public final class InvalidModelException extends Exception {

    public InvalidModelException(String message) {
        super(message);
    }
}
