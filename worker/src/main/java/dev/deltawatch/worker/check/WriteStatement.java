package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.TargetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application's own write statement with named parameters ({@code :key :owner :patch :expectedVersion}),
 * compiled to a prepared statement's {@code ?} placeholders and the role bound at each. {@code ::type} casts are not
 * parameters; string literals and quoted identifiers are skipped.
 *
 * @param sql   the statement with {@code ?} in place of each named parameter
 * @param roles the role bound at each {@code ?}, in order
 */
public record WriteStatement(String sql, List<TargetConfig.Argument.Role> roles) {
    private static final Pattern TOKEN = Pattern.compile("'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|:([A-Za-z_][A-Za-z0-9_]*)");

    public static WriteStatement compile(String statement) {
        StringBuilder sql = new StringBuilder();
        List<TargetConfig.Argument.Role> roles = new ArrayList<>();
        Matcher m = TOKEN.matcher(statement);
        while (m.find()) {
            if (m.group(1) == null) {
                m.appendReplacement(sql, Matcher.quoteReplacement(m.group()));
                continue;
            }
            TargetConfig.Argument.Role role = role(m.group(1));
            if (role == null) {
                throw new IllegalArgumentException("write.statement: unknown parameter ':" + m.group(1)
                        + "'; use :key, :owner, :patch and :expectedVersion");
            }
            roles.add(role);
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return new WriteStatement(sql.toString(), List.copyOf(roles));
    }

    /** What is wrong with the statement for this layout; empty when it can be used. */
    public static List<String> problems(String statement, TargetConfig.Documents docs) {
        List<String> out = new ArrayList<>();
        WriteStatement compiled;
        try {
            compiled = compile(statement);
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
        for (TargetConfig.Argument.Role needed : List.of(TargetConfig.Argument.Role.KEY, TargetConfig.Argument.Role.PATCH)) {
            if (!compiled.roles().contains(needed)) {
                out.add("write.statement: has no :" + name(needed) + " parameter");
            }
        }
        if (docs.delta().owner() != null && !compiled.roles().contains(TargetConfig.Argument.Role.OWNER)) {
            out.add("write.statement: the layout has an owner column ('" + docs.delta().owner() + "') but the "
                    + "statement has no :owner parameter");
        }
        return out;
    }

    private static TargetConfig.Argument.Role role(String name) {
        for (TargetConfig.Argument.Role r : TargetConfig.Argument.Role.values()) {
            if (r != TargetConfig.Argument.Role.CONSTANT && name(r).equals(name)) {
                return r;
            }
        }
        return null;
    }

    static String name(TargetConfig.Argument.Role role) {
        return switch (role) {
            case KEY -> "key";
            case OWNER -> "owner";
            case PATCH -> "patch";
            case EXPECTED_VERSION -> "expectedVersion";
            case CONSTANT -> "constant";
        };
    }
}
