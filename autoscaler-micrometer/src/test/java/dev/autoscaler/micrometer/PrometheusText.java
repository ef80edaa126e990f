package dev.autoscaler.micrometer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), written from its
 * specification, for tests: any line it does not understand, a sample before its family's
 * {@code # TYPE}, a family split in two, a series given twice, a bad value or escape, or a histogram
 * whose buckets fall or whose {@code +Inf} bucket differs from its {@code _count} is an error, with
 * the line number.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A metric family: its {@code # TYPE}, its {@code # HELP}, its samples in order. */
    record Family(String name, String type, String help, List<Sample> samples) {
    }

    /** A parse failure, naming the line. */
    static final class ParseException extends RuntimeException {
        ParseException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private PrometheusText() {
    }

    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new ParseException(lines.length, "the exposition must end with a line feed");
        }
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("HELP")) {
                    requireName(n, parts[2]);
                    if (help.put(parts[2], parts.length == 4 ? unescapeHelp(n, parts[3]) : "") != null) {
                        throw new ParseException(n, "a second HELP for " + parts[2]);
                    }
                } else if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    requireName(n, parts[2]);
                    if (parts.length != 4 || !TYPES.contains(parts[3])) {
                        throw new ParseException(n, "bad TYPE line: " + line);
                    }
                    if (families.containsKey(parts[2])) {
                        throw new ParseException(n, "a second TYPE for " + parts[2]);
                    }
                    if (current != null) {
                        closed.add(current);
                    }
                    current = parts[2];
                    families.put(current, new Family(current, parts[3], "", new ArrayList<>()));
                }
                continue; // other comments are allowed
            }
            Sample sample = sample(n, line);
            String family = familyOf(sample.name(), families);
            if (family == null) {
                throw new ParseException(n, "sample " + sample.name() + " before any TYPE of its family");
            }
            if (!family.equals(current) || closed.contains(family)) {
                throw new ParseException(n, "sample " + sample.name() + " outside its family's block");
            }
            if (!series.add(sample.name() + new TreeMap<>(sample.labels()))) {
                throw new ParseException(n, "series given twice: " + sample.name() + sample.labels());
            }
            families.get(family).samples().add(sample);
        }
        Map<String, Family> result = new LinkedHashMap<>();
        for (Family f : families.values()) {
            Family withHelp = new Family(f.name(), f.type(), help.getOrDefault(f.name(), ""), List.copyOf(f.samples()));
            if (f.type().equals("histogram")) {
                checkHistogram(withHelp);
            }
            result.put(f.name(), withHelp);
        }
        return result;
    }

    private static String familyOf(String sampleName, Map<String, Family> families) {
        if (families.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : List.of("_total", "_bucket", "_sum", "_count", "_created")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if (families.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Sample sample(int n, String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        requireName(n, name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i >= line.length()) {
                    throw new ParseException(n, "unterminated label set");
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new ParseException(n, "label without '='");
                }
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw new ParseException(n, "bad label name '" + label + "'");
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new ParseException(n, "label value must be quoted");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (true) {
                    if (j >= line.length()) {
                        throw new ParseException(n, "unterminated label value");
                    }
                    char c = line.charAt(j);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char e = j + 1 < line.length() ? line.charAt(j + 1) : ' ';
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new ParseException(n, "bad escape \\" + e);
                        }
                        j += 2;
                    } else {
                        value.append(c);
                        j++;
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new ParseException(n, "label " + label + " given twice");
                }
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new ParseException(n, "expected ',' or '}' after a label");
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new ParseException(n, "expected a space before the value");
        }
        String[] rest = line.substring(i + 1).trim().split(" +");
        if (rest.length < 1 || rest.length > 2) {
            throw new ParseException(n, "expected a value and an optional timestamp");
        }
        double value = value(n, rest[0]);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new ParseException(n, "bad timestamp " + rest[1]);
            }
        }
        return new Sample(name, labels, value);
    }

    private static double value(int n, String s) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw new ParseException(n, "bad value '" + s + "'");
                }
                return Double.parseDouble(s);
        }
    }

    private static void requireName(int n, String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new ParseException(n, "bad metric name '" + name + "'");
        }
    }

    private static String unescapeHelp(int n, String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char e = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
                if (e == '\\') {
                    b.append('\\');
                } else if (e == 'n') {
                    b.append('\n');
                } else {
                    throw new ParseException(n, "bad escape in HELP: \\" + e);
                }
                i++;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Buckets of each series never fall, end with le="+Inf", and that bucket equals _count. */
    private static void checkHistogram(Family f) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            Map<String, String> key = new TreeMap<>(s.labels());
            key.remove("le");
            if (s.name().equals(f.name() + "_bucket")) {
                if (!s.labels().containsKey("le")) {
                    throw new IllegalStateException(f.name() + ": a bucket without le");
                }
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            } else if (s.name().equals(f.name() + "_count")) {
                counts.put(key, s.value());
            }
        }
        for (var e : buckets.entrySet()) {
            double previousLe = Double.NEGATIVE_INFINITY;
            double previous = 0;
            for (Sample b : e.getValue()) {
                double le = b.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.labels().get("le"));
                if (le <= previousLe || b.value() < previous) {
                    throw new IllegalStateException(f.name() + e.getKey() + ": buckets out of order or falling at le=" + le);
                }
                previousLe = le;
                previous = b.value();
            }
            if (previousLe != Double.POSITIVE_INFINITY || !counts.containsKey(e.getKey())
                    || counts.get(e.getKey()) != previous) {
                throw new IllegalStateException(f.name() + e.getKey() + ": the +Inf bucket must equal _count");
            }
        }
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels}. */
    static double value(Map<String, Family> families, String name, Map<String, String> labels) {
        List<Sample> matches = families.values().stream().flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        if (matches.size() != 1) {
            throw new AssertionError(matches.size() + " samples match " + name + labels);
        }
        return matches.get(0).value();
    }
}
