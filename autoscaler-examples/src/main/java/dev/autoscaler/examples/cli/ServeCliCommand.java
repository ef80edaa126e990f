package dev.autoscaler.examples.cli;

import dev.autoscaler.server.ServeCommand;
import java.io.PrintStream;

/** {@code autoscaler serve}: the program of the {@code autoscaler-server} module, under this program's name. */
final class ServeCliCommand implements Main.Command {
    private final ServeCommand serve = new ServeCommand();

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return serve.run(args, out, err);
        } catch (ServeCommand.UsageError e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public String usage() {
        return serve.usage();
    }
}
