package dev.autoscaler;

/** An endpoint or a group was to be created under a name that is already taken. */
public class AlreadyExistsException extends AutoscalerException {
    /**
     * An endpoint or group of that name exists already.
     *
     * @param message which one
     */
    public AlreadyExistsException(String message) {
        super(message);
    }
}
