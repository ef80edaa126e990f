package dev.autoscaler.examples.cli;

import dev.autoscaler.server.ServeCommand;
import dev.autoscaler.server.StatusCommand;
import java.io.PrintStream;

/** {@code autoscaler status}: a running serve's state, read over HTTP (the {@code autoscaler-server} module's command). */
final class StatusCliCommand implements Main.Command {
    private final StatusCommand status = new StatusCommand();

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return status.run(args, out, err);
        } catch (ServeCommand.UsageError e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public String usage() {
        return status.usage();
    }
}
