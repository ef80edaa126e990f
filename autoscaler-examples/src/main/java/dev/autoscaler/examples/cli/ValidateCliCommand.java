package dev.autoscaler.examples.cli;

import dev.autoscaler.server.ServeCommand;
import dev.autoscaler.server.ValidateCommand;
import java.io.PrintStream;

/** {@code autoscaler validate}: the {@code autoscaler-server} module's config check, under this program's name. */
final class ValidateCliCommand implements Main.Command {
    private final ValidateCommand validate = new ValidateCommand();

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return validate.run(args, out, err);
        } catch (ServeCommand.UsageError e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public String usage() {
        return validate.usage();
    }
}
