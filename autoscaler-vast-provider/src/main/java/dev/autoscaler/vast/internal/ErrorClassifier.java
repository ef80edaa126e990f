package dev.autoscaler.vast.internal;

import dev.autoscaler.ProviderException.Kind;
import java.util.Locale;

/**
 * Maps a Vast error answer to the {@link Kind} the engine acts on.
 *
 * <table>
 *   <caption>HTTP status and Vast error code to kind</caption>
 *   <tr><th>answer</th><th>kind</th></tr>
 *   <tr><td>429</td><td>RATE_LIMITED (retry after a backoff)</td></tr>
 *   <tr><td>504</td><td>TIMEOUT (the call's effect is unknown)</td></tr>
 *   <tr><td>other 5xx</td><td>UNAVAILABLE</td></tr>
 *   <tr><td>404 or 410 on create, or code {@code no_such_ask}</td><td>OFFER_GONE (take the next offer)</td></tr>
 *   <tr><td>404 or 410 elsewhere, or code {@code no_such_instance}</td><td>NOT_FOUND</td></tr>
 *   <tr><td>400, 422, or code {@code invalid_args}</td><td>INVALID</td></tr>
 *   <tr><td>401, 403</td><td>UNAUTHORIZED</td></tr>
 *   <tr><td>anything else</td><td>OTHER</td></tr>
 * </table>
 */
public final class ErrorClassifier {
    private ErrorClassifier() {
    }

    public static Kind classify(Route route, int status, ErrorBody body) {
        if (status == 429) {
            return Kind.RATE_LIMITED;
        }
        if (status == 504) {
            return Kind.TIMEOUT;
        }
        if (status >= 500) {
            return Kind.UNAVAILABLE;
        }
        String code = body.code().toLowerCase(Locale.ROOT);
        String text = (code + " " + body.message()).toLowerCase(Locale.ROOT);
        if (route == Route.CREATE && (status == 404 || status == 410 || text.contains("no_such_ask"))) {
            return Kind.OFFER_GONE;
        }
        if (code.equals("no_such_instance") || code.equals("not_found") || status == 404 || status == 410) {
            return Kind.NOT_FOUND;
        }
        if (status == 401 || status == 403 || code.contains("auth")) {
            return Kind.UNAUTHORIZED;
        }
        if (code.equals("rate_limit") || code.equals("too_many_requests")) {
            return Kind.RATE_LIMITED;
        }
        if (status == 400 || status == 422 || code.equals("invalid_args")) {
            return Kind.INVALID;
        }
        return Kind.OTHER;
    }
}
