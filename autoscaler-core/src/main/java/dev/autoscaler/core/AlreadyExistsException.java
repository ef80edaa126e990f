package dev.autoscaler.core;

import dev.autoscaler.AutoscalerException;

/** An endpoint or a group was to be created under a name that is already taken. */
public class AlreadyExistsException extends AutoscalerException {
    public AlreadyExistsException(String message) {
        super(message);
    }
}
