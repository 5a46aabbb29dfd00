package dev.deltawatch.worker.target;

import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.target.drafts.DraftsSeeder;
import dev.deltawatch.worker.target.overrides.OverridesSeeder;
import dev.deltawatch.worker.target.seed.Seeder;
import java.util.List;

/**
 * The example targets deltawatch ships, each a correct mirror + delta system of a distinct shape. The CLI's
 * {@code --target NAME} picks one from here; the reference target is the default everywhere.
 */
public final class ExampleTargets {
    public static final String DEFAULT = "reference";

    public static final ExampleTarget REFERENCE = new ExampleTarget("reference",
            "PFA register: mirror, delta and version on one row (bigint key), deep-merge function, "
                    + "write function (id, patch, expected_version integer)",
            ReferenceTarget.MIGRATIONS, ReferenceTarget.HISTORY_TABLE, ReferenceTarget.CONFIG_RESOURCE,
            (address, options, log, terminal) -> new Seeder(address, log, terminal).seed(options), null);

    public static final ExampleTarget DRAFTS = new ExampleTarget("drafts",
            "product catalog with per-user drafts: text-key mirror, drafts table (uuid key, UNIQUE(owner, record), "
                    + "integer version), body || changes, application upsert statement",
            "classpath:db/drafts", "deltawatch_drafts_history", "drafts-target.yaml",
            (address, options, log, terminal) -> new DraftsSeeder(address, log, terminal).seed(options),
            "faults/drafts");

    public static final ExampleTarget OVERRIDES = new ExampleTarget("overrides",
            "web pages with one editorial override each: uuid-key mirror, overrides table (no owner, timestamptz "
                    + "token), SQL merge function (delta, mirror), write function (expected_version, key, patch)",
            "classpath:db/overrides", "deltawatch_overrides_history", "overrides-target.yaml",
            (address, options, log, terminal) -> new OverridesSeeder(address, log, terminal).seed(options),
            "faults/overrides");

    public static final List<ExampleTarget> ALL = List.of(REFERENCE, DRAFTS, OVERRIDES);

    private ExampleTargets() {}

    /** The target named {@code name}; an unknown name is a config error listing the known ones. */
    public static ExampleTarget named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException("the command line", List.of("Invalid value " + name
                        + " for --target: must be one of " + ALL.stream().map(ExampleTarget::name).toList())));
    }
}
