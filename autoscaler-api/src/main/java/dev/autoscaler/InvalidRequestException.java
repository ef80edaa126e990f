package dev.autoscaler;

/** A request from a client or a worker was malformed: a missing field, a wrong type, a NaN load. */
public class InvalidRequestException extends AutoscalerException {
    /** The wire name of the field at fault. */
    private final String field;

    /**
     * A rejected request.
     *
     * @param field the wire name of the field at fault
     * @param message what is wrong with it
     */
    public InvalidRequestException(String field, String message) {
        super(field == null ? message : field + ": " + message);
        this.field = field;
    }

    /** {@return the wire name of the offending field, or null when the whole body was unreadable} */
    public String field() {
        return field;
    }
}
