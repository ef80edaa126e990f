import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.policy.ScalingPolicies;
import dev.autoscaler.core.provider.InstanceProviderFactories;
import dev.autoscaler.core.router.RoutingStrategies;
import java.util.List;

/**
 * Run by .ci/run with the library jars on the module path: the modules resolve, the built-in plugins
 * are found through their module descriptors, and the internal packages are not exported.
 */
public class ModuleCheck {
    public static void main(String[] args) {
        Module core = Autoscaler.class.getModule();
        check(core.isNamed() && core.getName().equals("dev.autoscaler.core"), "core is the named module dev.autoscaler.core: " + core);
        check(ScalingPolicies.load().names().containsAll(List.of("fixed", "vast")), "policies: " + ScalingPolicies.load().names());
        check(RoutingStrategies.load().names().containsAll(List.of("least-wait", "power-of-two")),
                "routing strategies: " + RoutingStrategies.load().names());
        check(InstanceProviderFactories.load().names().contains("static"), "providers: " + InstanceProviderFactories.load().names());
        for (String pkg : core.getPackages()) {
            check(pkg.contains(".internal") != core.isExported(pkg), pkg + (core.isExported(pkg) ? " is" : " is not") + " exported");
        }
        System.out.println("dev.autoscaler.core on the module path: plugins found, internal packages not exported");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
