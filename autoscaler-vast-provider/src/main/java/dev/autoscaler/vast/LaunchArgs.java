package dev.autoscaler.vast;

import dev.autoscaler.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;

/** Splits a group's {@code launch_args} into arguments the way a shell would: spaces, quotes, backslash. */
final class LaunchArgs {
    private LaunchArgs() {
    }

    static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        if (line == null || line.isBlank()) {
            return args;
        }
        StringBuilder current = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    current.append(line.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inArg = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                current.append(line.charAt(++i));
                inArg = true;
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            } else {
                current.append(c);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new InvalidConfigException("launch_args", "unclosed quote " + quote + " in '" + line + "'");
        }
        if (inArg) {
            args.add(current.toString());
        }
        return args;
    }
}
