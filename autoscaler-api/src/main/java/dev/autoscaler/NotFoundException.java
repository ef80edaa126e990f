package dev.autoscaler;

/** A named thing does not exist: an endpoint, a worker group, a worker. */
public class NotFoundException extends AutoscalerException {
    /**
     * Nothing of that name.
     *
     * @param message what was looked for
     */
    public NotFoundException(String message) {
        super(message);
    }
}
