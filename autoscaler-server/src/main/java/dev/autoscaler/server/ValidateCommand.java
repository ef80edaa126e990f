package dev.autoscaler.server;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.PluginNotFoundException;
import dev.autoscaler.Clock;
import dev.autoscaler.core.plugin.PluginRegistry;
import dev.autoscaler.core.policy.ScalingPolicies;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.spi.InstanceProvider;
import dev.autoscaler.spi.InstanceProviderFactory;
import dev.autoscaler.spi.ProviderContext;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code autoscaler validate --config FILE [--check-provider]}: reads a {@code serve} config and
 * reports every error at once, each with its path ({@code endpoints[0].groups[1].gpu_ram: ...}), then
 * what {@code serve} would only find as it starts: an unknown provider, scaling policy or ticket
 * format, bad {@code policy_params}. With {@code --check-provider} it also builds the provider and
 * lists its instances, so that a wrong API key, base URL or unset variable shows before a deploy.
 * Starts nothing, rents nothing. Exit status 0 when the config is good, 1 when not.
 */
public final class ValidateCommand {

    /** Runs; returns the exit status (0 valid, 1 errors found). @throws ServeCommand.UsageError for a bad command line */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        boolean checkProvider = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            } else if (args[i].equals("--check-provider")) {
                checkProvider = true;
            } else {
                throw new ServeCommand.UsageError("unknown option '" + args[i] + "'");
            }
        }
        if (file == null) {
            throw new ServeCommand.UsageError("--config FILE is required");
        }
        if (!Files.isRegularFile(file)) {
            throw new ServeCommand.UsageError("--config: no such file " + file);
        }
        ServerConfigLoader.Checked checked = new ServerConfigLoader().check(file);
        List<InvalidConfigException> errors = new ArrayList<>(checked.errors());
        if (checked.ok()) {
            errors.addAll(plugins(checked.config()));
        }
        for (InvalidConfigException e : errors) {
            err.println(file + ": " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            err.println(file + ": " + errors.size() + (errors.size() == 1 ? " error" : " errors"));
            return 1;
        }
        ServerConfig config = checked.config();
        if (checkProvider) {
            Optional<String> problem = checkProvider(config, out);
            if (problem.isPresent()) {
                err.println(file + ": provider: " + problem.get());
                return 1;
            }
        }
        out.println(file + ": valid (" + config.endpoints().size() + " endpoint(s): "
                + String.join(", ", config.endpoints().stream().map(EndpointConfig::name).toList())
                + "; provider " + config.providerName() + ")");
        return 0;
    }

    /** The names serve resolves on the class path: provider, each endpoint's policy (with its params) and ticket format. */
    static List<InvalidConfigException> plugins(ServerConfig config) {
        List<InvalidConfigException> errors = new ArrayList<>();
        try {
            providers().require(config.providerName());
        } catch (PluginNotFoundException e) {
            errors.add(new InvalidConfigException("provider.name", e.getMessage()));
        }
        ScalingPolicies policies = ScalingPolicies.load();
        List<String> formats = TicketFormats.names();
        for (int i = 0; i < config.endpoints().size(); i++) {
            EndpointConfig e = config.endpoints().get(i);
            String at = "endpoints[" + i + "].";
            try {
                policies.create(e.policy(), e.policyParams());
            } catch (PluginNotFoundException ex) {
                errors.add(new InvalidConfigException(at + "policy", ex.getMessage()));
            } catch (InvalidConfigException ex) {
                errors.add(new InvalidConfigException(at + ex.field(), messageOf(ex)));
            }
            if (!formats.contains(e.ticketFormat())) {
                errors.add(new InvalidConfigException(at + "ticket_format",
                        "unknown ticket format '" + e.ticketFormat() + "'; known: " + String.join(", ", formats)));
            }
        }
        return errors;
    }

    private static PluginRegistry<InstanceProviderFactory> providers() {
        // as serve finds them: the class path and the plugin jars' loader
        return PluginRegistry.loadVisible("instance provider", InstanceProviderFactory.class, ValidateCommand.class,
                InstanceProviderFactory::name);
    }

    /** Builds the provider and lists its instances; empty when that worked, else what failed. */
    private static Optional<String> checkProvider(ServerConfig config, PrintStream out) {
        try (InstanceProvider provider = providers().require(config.providerName())
                .create(config.providerSettings(), new ProviderContext(Clock.system(), config.publicUrl()))) {
            int instances = provider.list().size();
            out.println("provider " + config.providerName() + ": reachable, " + instances + " instance(s) listed");
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(config.providerName() + ": " + e.getMessage());
        }
    }

    private static String messageOf(InvalidConfigException e) {
        String m = e.getMessage();
        String head = e.field() + ": ";
        return m.startsWith(head) ? m.substring(head.length()) : m;
    }

    /** The usage lines, indented by two spaces. */
    public String usage() {
        return "  validate --config FILE [--check-provider]\n"
                + "      check a serve config: every error at once, with its path; --check-provider also lists the\n"
                + "      provider's instances (API key, base URL); starts and rents nothing\n";
    }
}
