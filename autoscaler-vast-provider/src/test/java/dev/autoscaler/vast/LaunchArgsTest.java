package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import org.junit.jupiter.api.Test;

class LaunchArgsTest {
    @Test
    void splitsLikeAShell() {
        assertThat(LaunchArgs.split("  --model 'meta llama' --tp=2 \"a \\\"b\\\"\" c\\ d ''"))
                .containsExactly("--model", "meta llama", "--tp=2", "a \"b\"", "c d", "");
    }

    @Test
    void emptyIsNoArgs() {
        assertThat(LaunchArgs.split("   ")).isEmpty();
    }

    @Test
    void unclosedQuoteNamesTheField() {
        assertThatThrownBy(() -> LaunchArgs.split("--model 'llama"))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("launch_args");
    }
}
