package dev.autoscaler;

/** A named thing does not exist: an endpoint, a worker group, a worker. */
public class NotFoundException extends AutoscalerException {
    public NotFoundException(String message) {
        super(message);
    }
}
