package dev.autoscaler.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the references in a repository's documentation that lead nowhere: in every Markdown file
 * (README.md, docs/*.md, ...) and every main source file of every module (its javadoc and comments),
 *
 * <ul>
 *   <li>a Markdown file name ({@code *.md}) mentioned that is not a file, resolved against the mentioning Markdown file's
 *       folder or the repository root ({@code DESIGN.md} alone is dangling when the file is
 *       {@code docs/DESIGN.md});</li>
 *   <li>a relative Markdown link {@code [text](target)} whose target does not exist;</li>
 *   <li>a {@code #section} (after a {@code .md} name or alone in a Markdown link) that is not a
 *       heading of its file, by GitHub's anchor rules;</li>
 *   <li>any mention of a folder outside the repository ({@code ../shared}, {@code /work/shared}).</li>
 * </ul>
 *
 * Each problem is one line, {@code path:line: what}.
 */
final class DocumentationLinks {
    private static final Pattern MD_NAME = Pattern.compile("(?<![\\w./:-])((?:\\.{1,2}/)*[\\w./-]*\\w\\.md)(#[\\w-]+)?\\b");
    private static final Pattern MD_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern OUTSIDE = Pattern.compile("\\.\\./shared|/work/shared");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private final Path root;

    DocumentationLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every problem found, in file order; empty when every reference resolves. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Path file : filesToCheck()) {
            check(file, problems);
        }
        return problems;
    }

    /** The Markdown files of the repository and the main sources of every module (a folder with a pom.xml). */
    List<Path> filesToCheck() {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> !isBuildOutput(root.relativize(p)))
                    .filter(p -> {
                        String rel = root.relativize(p).toString().replace('\\', '/');
                        return rel.endsWith(".md") || (rel.endsWith(".java") && rel.matches("[^/]+/src/main/.*"));
                    })
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBuildOutput(Path rel) {
        for (Path part : rel) {
            String name = part.toString();
            if (name.equals("target") || name.startsWith(".") || name.equals("node_modules")
                    || name.equals("demo-report")) {
                return true;
            }
        }
        return false;
    }

    private void check(Path file, List<String> problems) {
        boolean markdown = file.toString().endsWith(".md");
        List<String> lines = read(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = root.relativize(file).toString().replace('\\', '/') + ":" + (i + 1) + ": ";
            Matcher outside = OUTSIDE.matcher(line);
            if (outside.find()) {
                problems.add(where + "points outside the repository: " + outside.group());
            }
            Set<String> checked = new HashSet<>();
            if (markdown) {
                Matcher link = MD_LINK.matcher(line);
                while (link.find()) {
                    String target = link.group(1);
                    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        continue; // http:, https:, mailto:
                    }
                    checked.add(target);
                    checkTarget(file, target, where, problems);
                }
            }
            Matcher name = MD_NAME.matcher(line);
            while (name.find()) {
                String target = name.group(1) + (name.group(2) == null ? "" : name.group(2));
                if (checked.contains(target)) {
                    continue;
                }
                checkTarget(file, target, where, problems);
            }
        }
    }

    private void checkTarget(Path file, String target, String where, List<String> problems) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved;
        if (path.isEmpty()) {
            resolved = file;
        } else {
            resolved = resolve(file, path);
            if (resolved == null) {
                problems.add(where + "no such file: " + path);
                return;
            }
        }
        if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
            problems.add(where + "no section #" + anchor + " in " + root.relativize(resolved).toString().replace('\\', '/'));
        }
    }

    /**
     * The file a reference names: from a Markdown file's folder, from the root, or, in a source file,
     * from its module's folder or class path resources; null when none exists.
     */
    private Path resolve(Path file, String path) {
        List<Path> candidates = new ArrayList<>();
        if (file.toString().endsWith(".md")) {
            candidates.add(file.getParent().resolve(path).normalize());
        } else {
            Path module = root.resolve(root.relativize(file).getName(0));
            candidates.add(module.resolve(path).normalize());
            candidates.add(module.resolve("src/main/resources").resolve(path).normalize());
        }
        candidates.add(root.resolve(path).normalize());
        for (Path candidate : candidates) {
            if (candidate.startsWith(root) && Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The anchors GitHub gives the headings of a Markdown file (outside code fences). */
    static Set<String> anchors(Path markdown) {
        Set<String> anchors = new HashSet<>();
        Set<String> seen = new HashSet<>();
        boolean fenced = false;
        for (String line : read(markdown)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String slug = slug(m.group(1));
                String unique = slug;
                for (int n = 1; !seen.add(unique); n++) {
                    unique = slug + "-" + n;
                }
                anchors.add(unique);
            }
        }
        return anchors;
    }

    /** GitHub's rule: lower case, punctuation other than '-' and '_' dropped, each space a '-'. */
    static String slug(String heading) {
        String text = heading.toLowerCase(Locale.ROOT).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.append(c);
            } else if (c == ' ') {
                out.append('-');
            }
        }
        return out.toString();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
