package dev.autoscaler.examples.cli;

import dev.autoscaler.core.policy.ScalingPolicies;
import dev.autoscaler.spi.ScalingPolicyProvider;
import java.io.PrintStream;

/** {@code autoscaler policies}: the scaling policies found (built-in and plugins), one a line, with their description. */
final class PoliciesCommand implements Main.Command {

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            throw new UsageException("policies takes no option, got '" + args[0] + "'");
        }
        ScalingPolicies policies = ScalingPolicies.load();
        policies.problems().forEach(problem -> err.println("autoscaler policies: " + problem));
        var providers = policies.providers();
        int width = providers.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        for (ScalingPolicyProvider p : providers) {
            out.println(p.name() + " ".repeat(width - p.name().length() + 2) + p.description());
        }
        return 0;
    }

    @Override
    public String usage() {
        return "  policies\n      list the scaling policies found: the built-in ones and the plugins' (see --plugins)\n";
    }
}
