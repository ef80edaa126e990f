package dev.autoscaler.examples.cli;

/** A bad command line: the message names the bad option; the program prints it with the usage and exits 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
