package dev.autoscaler;

/**
 * A configuration value was rejected. The message names the field (with its wire name, such as
 * {@code target_util}) and the bad value, so that it can be shown to a user as it is.
 */
public class InvalidConfigException extends AutoscalerException {
    private final String field;
    private final String reason;

    public InvalidConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    /** The wire name of the offending field, e.g. {@code target_util} or {@code groups[1].group_name}. */
    public String field() {
        return field;
    }

    /** What is wrong, without the leading {@code field: }: for a caller that gives the field apart. */
    public String reason() {
        return reason;
    }
}
