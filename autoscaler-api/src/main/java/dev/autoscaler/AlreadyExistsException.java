package dev.autoscaler;

/** An endpoint or a group was to be created under a name that is already taken. */
public class AlreadyExistsException extends AutoscalerException {
    public AlreadyExistsException(String message) {
        super(message);
    }
}
