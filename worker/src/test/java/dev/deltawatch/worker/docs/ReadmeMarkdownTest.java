package dev.deltawatch.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Lints README.md's code fences, so a missing closing fence cannot again turn the rest of a section into code
 * (it did: from "Reading the feed" on, about 140 lines rendered as a bash block). Java rather than a Markdown
 * linter from a registry: {@code .ci/run} runs the Maven tests on a fresh machine, with nothing to install.
 *
 * <p>Fences follow CommonMark: a fence is three or more backticks or tildes indented at most three spaces; a
 * block is closed by a fence of the same character, at least as long, with nothing after it. CommonMark itself
 * reads a forgotten close followed by the next block's {@code ```bash} as "still inside, then closed", which
 * balances and renders wrong, so an opening fence with an info string that could have closed the block (same
 * character, at least as long) or a Markdown heading inside a block that is not itself Markdown is reported too.
 */
class ReadmeMarkdownTest {
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*(.*)$");
    private static final Pattern HEADING = Pattern.compile("^#{2,6} \\S");

    /** Each problem as {@code line N: what}; empty when every fence pairs up. */
    static List<String> fenceProblems(List<String> lines) {
        List<String> problems = new ArrayList<>();
        String open = null;
        String info = "";
        int openedAt = 0;
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String line = lines.get(i);
            Matcher m = FENCE.matcher(line);
            boolean fence = m.matches();
            if (open == null) {
                if (fence) {
                    open = m.group(1);
                    info = m.group(2).trim();
                    openedAt = n;
                }
                continue;
            }
            boolean sameLevel = fence && m.group(1).charAt(0) == open.charAt(0)
                    && m.group(1).length() >= open.length();
            if (sameLevel && m.group(2).isEmpty()) {
                open = null;
            } else if (sameLevel) {
                problems.add("line " + n + ": fence '" + line.trim() + "' inside the code block opened at line "
                        + openedAt + " (is that block missing its closing fence?)");
            } else if (!info.matches("(?i)md|markdown") && HEADING.matcher(line).find()) {
                problems.add("line " + n + ": heading '" + line.trim() + "' inside the code block opened at line "
                        + openedAt + " (is that block missing its closing fence?)");
            }
        }
        if (open != null) {
            problems.add("line " + openedAt + ": code block never closed");
        }
        return problems;
    }

    @Test
    void everyCodeFenceOfTheReadmeIsClosedBeforeTheTextGoesOn() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        assertThat(fenceProblems(readme)).as("README.md").isEmpty();
    }

    @Test
    void findsAForgottenCloseEvenWhenTheNextBlockBalancesTheCount() {
        List<String> broken = List.of("**Reading the feed**:", "", "```bash", "deltawatch findings tail", "",
                "## Lock probes", "", "text", "", "```bash", "deltawatch bench lock-probes", "```");
        assertThat(fenceProblems(broken)).containsExactly(
                "line 6: heading '## Lock probes' inside the code block opened at line 3 (is that block missing "
                        + "its closing fence?)",
                "line 10: fence '```bash' inside the code block opened at line 3 (is that block missing its "
                        + "closing fence?)");
    }

    @Test
    void findsABlockLeftOpenAtTheEndAndAcceptsNestedMarkdownAndTildeFences() {
        assertThat(fenceProblems(List.of("text", "```yaml", "a: 1"))).containsExactly("line 2: code block never closed");
        assertThat(fenceProblems(List.of("````md", "## Example", "```bash", "x", "```", "````", "~~~", "# comment",
                "~~~"))).isEmpty();
    }
}
