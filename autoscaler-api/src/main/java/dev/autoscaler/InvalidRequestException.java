package dev.autoscaler;

/** A request from a client or a worker was malformed: a missing field, a wrong type, a NaN load. */
public class InvalidRequestException extends AutoscalerException {
    private final String field;

    public InvalidRequestException(String field, String message) {
        super(field == null ? message : field + ": " + message);
        this.field = field;
    }

    /** The wire name of the offending field, or null when the whole body was unreadable. */
    public String field() {
        return field;
    }
}
