package dev.autoscaler.examples.cli;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.examples.demo.DemoCommand;
import java.io.PrintStream;

/** {@code autoscaler demo}: see {@link DemoCommand}. */
final class DemoCliCommand implements Main.Command {

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return new DemoCommand().run(args, out, err);
        } catch (InvalidConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public String usage() {
        return DemoCommand.usage();
    }
}
