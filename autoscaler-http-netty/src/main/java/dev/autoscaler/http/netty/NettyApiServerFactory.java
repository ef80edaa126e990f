package dev.autoscaler.http.netty;

import dev.autoscaler.core.http.ApiServer;
import dev.autoscaler.core.http.ApiServerFactory;
import dev.autoscaler.core.http.ApiServerOptions;
import dev.autoscaler.core.http.AutoscalerApi;
import java.net.InetSocketAddress;

/** {@code netty}: {@link NettyApiServer}; preferred to the JDK server whenever this module is on the class path. */
public final class NettyApiServerFactory implements ApiServerFactory {
    public static final String NAME = "netty";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Netty, non-blocking: request deadlines, a per-address connection cap, bounded memory per connection";
    }

    @Override
    public int preference() {
        return 10;
    }

    @Override
    public ApiServer start(AutoscalerApi api, InetSocketAddress address, ApiServerOptions options) {
        return NettyApiServer.start(api, address, options);
    }
}
