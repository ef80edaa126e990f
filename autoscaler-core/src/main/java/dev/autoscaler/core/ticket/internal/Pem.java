package dev.autoscaler.core.ticket.internal;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal PEM (RFC 7468) text encoding: a label, base64 DER in 64-character lines. */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

    private Pem() {
    }

    /** {@code -----BEGIN label-----}, the DER in base64 lines of 64 characters, {@code -----END label-----}, and a newline. */
    public static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /**
     * The DER bytes of the first PEM block in {@code text}, which must carry {@code label}.
     *
     * @throws IllegalArgumentException naming what was found instead, when there is no such block
     */
    public static byte[] decode(String label, String text) {
        if (text == null) {
            throw new IllegalArgumentException("no PEM text");
        }
        Matcher m = BLOCK.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no PEM block found (expected -----BEGIN " + label + "-----)");
        }
        if (!m.group(1).equals(label)) {
            throw new IllegalArgumentException("expected a PEM block '" + label + "', found '" + m.group(1) + "'");
        }
        return Base64.getMimeDecoder().decode(m.group(2));
    }
}
