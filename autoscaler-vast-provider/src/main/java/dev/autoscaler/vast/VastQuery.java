package dev.autoscaler.vast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.InvalidConfigException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Vast CLI's offer query language ({@code vastai search offers 'gpu_ram>=24 num_gpus=1
 * gpu_name=RTX_4090 dph<1.5 reliability>0.98'}) turned into the JSON filter of
 * {@code POST /api/v0/bundles/}, with the CLI's conversions:
 * <ul>
 *   <li>clauses are {@code field op value}, separated by spaces; operators {@code = == != > >= < <=}
 *       and the words {@code eq neq noteq gt gte lt lte in notin nin}, {@code not eq}, {@code not in};</li>
 *   <li>{@code in}/{@code notin} take a list: {@code gpu_name in [RTX_4090,RTX_3090]};</li>
 *   <li>{@code _} in a value becomes a space ({@code RTX_4090} is {@code "RTX 4090"}); a value may
 *       also be double-quoted ({@code gpu_name="RTX 4090"});</li>
 *   <li>{@code gpu_ram}, {@code gpu_total_ram} and {@code cpu_ram} are given in GB and sent in MB
 *       (x1000); {@code duration} is given in days and sent in seconds;</li>
 *   <li>aliases: {@code dph} is {@code dph_total}, {@code dlperf_usd} is {@code dlperf_per_dphtotal},
 *       {@code flops_usd} is {@code flops_per_dphtotal}, {@code cuda_vers} is {@code cuda_max_good},
 *       {@code display_active} is {@code gpu_display_active};</li>
 *   <li>{@code field=any} (or {@code *}, {@code ?}) drops every filter on that field, the defaults
 *       included;</li>
 *   <li>{@code true}/{@code false}/{@code null} become JSON literals;</li>
 *   <li>defaults (before the query, so the query overrides them): {@code verified=true
 *       rentable=true rented=false}.</li>
 * </ul>
 * One deliberate difference: the CLI sends numbers as strings ({@code "1"}); this sends JSON numbers
 * (Vast accepts both) except on fields that hold text, such as {@code gpu_name}.
 *
 * <p>Unlike the CLI, which only warns, an unknown field is an error: a typo would otherwise widen
 * the search silently and rent the wrong hardware. Every error is an
 * {@link InvalidConfigException} on {@code search_params} naming the offending clause.
 */
public final class VastQuery {
    /** The field name used in error messages. */
    public static final String FIELD = "search_params";

    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry(">=", "gte"), Map.entry(">", "gt"), Map.entry("gt", "gt"), Map.entry("gte", "gte"),
            Map.entry("<=", "lte"), Map.entry("<", "lt"), Map.entry("lt", "lt"), Map.entry("lte", "lte"),
            Map.entry("!=", "neq"), Map.entry("==", "eq"), Map.entry("=", "eq"), Map.entry("eq", "eq"),
            Map.entry("neq", "neq"), Map.entry("noteq", "neq"), Map.entry("not eq", "neq"),
            Map.entry("notin", "notin"), Map.entry("not in", "notin"), Map.entry("nin", "notin"),
            Map.entry("in", "in"));

    private static final List<String> WORD_OPERATORS = List.of(
            "not eq", "not in", "noteq", "notin", "gte", "lte", "neq", "nin", "gt", "lt", "eq", "in");

    private static final Map<String, String> ALIASES = Map.of(
            "cuda_vers", "cuda_max_good",
            "display_active", "gpu_display_active",
            "dlperf_usd", "dlperf_per_dphtotal",
            "dph", "dph_total",
            "flops_usd", "flops_per_dphtotal");

    private static final Map<String, Double> MULTIPLIERS = Map.of(
            "cpu_ram", 1000.0, "gpu_ram", 1000.0, "gpu_total_ram", 1000.0, "duration", 24.0 * 60 * 60);

    /** The offer fields the Vast CLI knows (plus {@code reliability2}, which offers carry). */
    private static final Set<String> FIELDS = Set.of(
            "bw_nvlink", "compute_cap", "cpu_arch", "cpu_cores", "cpu_cores_effective", "cpu_ghz", "cpu_name",
            "cpu_ram", "cuda_max_good", "datacenter", "direct_port_count", "driver_version", "disk_bw", "disk_space",
            "dlperf", "dlperf_per_dphtotal", "dph_total", "duration", "external", "flops_per_dphtotal", "gpu_arch",
            "gpu_display_active", "gpu_frac", "gpu_mem_bw", "gpu_name", "gpu_ram", "gpu_total_ram", "gpu_max_power",
            "gpu_max_temp", "has_avx", "host_id", "id", "inet_down", "inet_down_cost", "inet_up", "inet_up_cost",
            "machine_id", "min_bid", "mobo_name", "num_gpus", "pci_gen", "pcie_bw", "reliability", "reliability2",
            "rentable", "rented", "storage_cost", "static_ip", "total_flops", "ubuntu_version", "verification",
            "verified", "vms_enabled", "geolocation", "cluster_id");

    /** Fields whose values stay strings even when they look like numbers. */
    private static final Set<String> TEXT_FIELDS = Set.of(
            "gpu_name", "geolocation", "cpu_name", "cpu_arch", "gpu_arch", "mobo_name", "verification",
            "driver_version", "ubuntu_version", "datacenter");

    private static final Set<String> WILDCARDS = Set.of("any", "*", "?");

    private VastQuery() {
    }

    /** {@return the defaults alone: verified, rentable, not rented} */
    public static ObjectNode defaults() {
        ObjectNode filter = JsonNodeFactory.instance.objectNode();
        filter.putObject("verified").put("eq", true);
        filter.putObject("rentable").put("eq", true);
        filter.putObject("rented").put("eq", false);
        return filter;
    }

    /** Parses a query onto the defaults. An empty or blank query gives the defaults. */
    public static ObjectNode parse(String query) {
        return parseInto(defaults(), query);
    }

    /** Parses a query onto {@code filter} (changed and returned). */
    public static ObjectNode parseInto(ObjectNode filter, String query) {
        if (query == null) {
            return filter;
        }
        for (Clause clause : tokenize(query)) {
            apply(filter, clause);
        }
        return filter;
    }

    /** Adds the search's order, type and limit the way the CLI does. */
    public static ObjectNode withOrder(ObjectNode filter, String orderField, boolean descending, int limit) {
        ArrayNode order = filter.putArray("order");
        order.addArray().add(orderField).add(descending ? "desc" : "asc");
        filter.put("type", "on-demand");
        filter.put("limit", limit);
        return filter;
    }

    private record Clause(String text, String field, String operator, String value) {
    }

    private static List<Clause> tokenize(String query) {
        List<Clause> clauses = new ArrayList<>();
        String q = query.strip();
        int i = 0;
        int n = q.length();
        while (i < n) {
            while (i < n && q.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && isFieldChar(q.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw error(rest(q, start), "expected a field name");
            }
            String field = q.substring(start, i);
            String operator = null;
            int afterField = i;
            while (i < n && q.charAt(i) == ' ') {
                i++;
            }
            if (i < n && "=<>!".indexOf(q.charAt(i)) >= 0) {
                int opStart = i;
                while (i < n && "=<>!".indexOf(q.charAt(i)) >= 0) {
                    i++;
                }
                operator = q.substring(opStart, i);
            } else if (i > afterField) {
                for (String word : WORD_OPERATORS) {
                    int end = i + word.length();
                    if (q.startsWith(word, i) && end < n && q.charAt(end) == ' ') {
                        operator = word;
                        i = end;
                        break;
                    }
                }
            }
            if (operator == null) {
                throw error(clauseText(q, start), "missing operator after '" + field + "'");
            }
            while (i < n && q.charAt(i) == ' ') {
                i++;
            }
            int valueStart = i;
            if (i < n && q.charAt(i) == '[') {
                int close = q.indexOf(']', i);
                if (close < 0) {
                    throw error(q.substring(start), "unclosed '['");
                }
                i = close + 1;
            } else if (i < n && q.charAt(i) == '"') {
                int close = q.indexOf('"', i + 1);
                if (close < 0) {
                    throw error(q.substring(start), "unclosed '\"'");
                }
                i = close + 1;
            } else {
                while (i < n && q.charAt(i) != ' ') {
                    i++;
                }
            }
            String value = q.substring(valueStart, i);
            String text = q.substring(start, i);
            if (i < n && q.charAt(i) != ' ') {
                throw error(clauseText(q, start), "unexpected text after the value");
            }
            if (value.isEmpty()) {
                throw error(text, "missing value");
            }
            clauses.add(new Clause(text, field, operator, value));
        }
        return clauses;
    }

    private static void apply(ObjectNode filter, Clause clause) {
        String op = OPERATORS.get(clause.operator());
        if (op == null) {
            throw error(clause.text(), "unknown operator '" + clause.operator() + "'");
        }
        String field = ALIASES.getOrDefault(clause.field(), clause.field());
        if (!FIELDS.contains(field)) {
            throw error(clause.text(), "unknown offer field '" + clause.field() + "'");
        }
        String raw = strip(clause.value(), ",[]");
        boolean list = op.equals("in") || op.equals("notin");
        if (!list && WILDCARDS.contains(raw)) {
            if (!op.equals("eq")) {
                throw error(clause.text(), "a wildcard only makes sense with '='");
            }
            filter.remove(field);
            return;
        }
        JsonNode value;
        if (list) {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            for (String item : raw.split(",")) {
                String trimmed = item.trim();
                if (!trimmed.isEmpty()) {
                    items.add(convert(clause, field, trimmed));
                }
            }
            if (items.isEmpty()) {
                throw error(clause.text(), "the list is empty");
            }
            value = items;
        } else {
            if (raw.isEmpty()) {
                throw error(clause.text(), "missing value");
            }
            value = convert(clause, field, raw);
        }
        JsonNode existing = filter.get(field);
        ObjectNode ops = existing instanceof ObjectNode o ? o : filter.putObject(field);
        ops.set(op, value);
    }

    private static JsonNode convert(Clause clause, String field, String raw) {
        String text = strip(raw.replace('_', ' '), "\"");
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Double multiplier = MULTIPLIERS.get(field);
        if (multiplier != null) {
            BigDecimal number = number(text);
            if (number == null) {
                throw error(clause.text(), "'" + raw + "' is not a number");
            }
            return numberNode(number.multiply(BigDecimal.valueOf(multiplier)));
        }
        switch (text) {
            case "true", "True":
                return nodes.booleanNode(true);
            case "false", "False":
                return nodes.booleanNode(false);
            case "null", "None":
                return nodes.nullNode();
            default:
                break;
        }
        if (!TEXT_FIELDS.contains(field)) {
            BigDecimal number = number(text);
            if (number != null) {
                return numberNode(number);
            }
        }
        return nodes.textNode(text);
    }

    private static BigDecimal number(String text) {
        if (text.isEmpty() || !text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            return null;
        }
        return new BigDecimal(text);
    }

    private static JsonNode numberNode(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            try {
                long value = stripped.longValueExact();
                return value == (int) value ? JsonNodeFactory.instance.numberNode((int) value)
                        : JsonNodeFactory.instance.numberNode(value);
            } catch (ArithmeticException tooBig) {
                // falls through to a double
            }
        }
        return JsonNodeFactory.instance.numberNode(number.doubleValue());
    }

    private static String strip(String s, String chars) {
        int start = 0;
        int end = s.length();
        while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end).trim();
    }

    private static boolean isFieldChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String rest(String q, int from) {
        return clauseText(q, from);
    }

    private static String clauseText(String q, int from) {
        int end = q.indexOf(' ', from);
        return end < 0 ? q.substring(from) : q.substring(from, end);
    }

    private static InvalidConfigException error(String token, String problem) {
        return new InvalidConfigException(FIELD, problem + " in '" + token + "'");
    }
}
