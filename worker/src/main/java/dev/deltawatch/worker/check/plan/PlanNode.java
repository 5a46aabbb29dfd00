package dev.deltawatch.worker.check.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One node of an {@code EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON)} plan, with typed accessors for what the
 * rules read. The node's JSON properties are kept as PostgreSQL produced them (without {@code Plans}) so the text
 * rendering can show everything EXPLAIN would; accessors return {@code null} or {@code 0} for absent properties.
 *
 * @param props    the node's properties, children removed
 * @param children child nodes in plan order
 */
public record PlanNode(ObjectNode props, List<PlanNode> children) {

    public PlanNode {
        Objects.requireNonNull(props, "props");
        children = List.copyOf(children);
    }

    public String nodeType() {
        return text("Node Type");
    }

    public String relation() {
        return text("Relation Name");
    }

    public String schema() {
        return text("Schema");
    }

    public String alias() {
        return text("Alias");
    }

    public String index() {
        return text("Index Name");
    }

    public String filter() {
        return text("Filter");
    }

    public String indexCond() {
        return text("Index Cond");
    }

    public String recheckCond() {
        return text("Recheck Cond");
    }

    public double rowsRemovedByFilter() {
        return number("Rows Removed by Filter");
    }

    /** The planner's estimate of rows per loop. */
    public double planRows() {
        return number("Plan Rows");
    }

    /** Actual rows per loop (the average over loops, as EXPLAIN reports it). */
    public double actualRows() {
        return number("Actual Rows");
    }

    /** Loops executed; 0 means the node never ran. */
    public double actualLoops() {
        return number("Actual Loops");
    }

    public double actualTotalMs() {
        return number("Actual Total Time");
    }

    public long sharedHitBlocks() {
        return (long) number("Shared Hit Blocks");
    }

    public long sharedReadBlocks() {
        return (long) number("Shared Read Blocks");
    }

    public long tempWrittenBlocks() {
        return (long) number("Temp Written Blocks");
    }

    public String sortMethod() {
        return text("Sort Method");
    }

    public String sortSpaceType() {
        return text("Sort Space Type");
    }

    public double sortSpaceUsedKb() {
        return number("Sort Space Used");
    }

    public double hashBatches() {
        return number("Hash Batches");
    }

    public double exactHeapBlocks() {
        return number("Exact Heap Blocks");
    }

    public double lossyHeapBlocks() {
        return number("Lossy Heap Blocks");
    }

    /** True for the node types that read a whole relation: {@code Seq Scan} and {@code Parallel Seq Scan}. */
    public boolean isSeqScan() {
        String t = nodeType();
        return "Seq Scan".equals(t) || "Parallel Seq Scan".equals(t);
    }

    /** {@code schema.relation} when the node reads a relation, else {@code null}. */
    public String qualifiedRelation() {
        return relation() == null ? null : (schema() == null ? relation() : schema() + "." + relation());
    }

    public String text(String key) {
        JsonNode v = props.get(key);
        return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }

    public double number(String key) {
        JsonNode v = props.get(key);
        return v == null || !v.isNumber() ? 0 : v.asDouble();
    }

    public JsonNode get(String key) {
        return props.get(key);
    }

    /** This node and all below it, depth first in plan order (the order EXPLAIN prints). */
    public List<PlanNode> flatten() {
        List<PlanNode> out = new ArrayList<>();
        visit(out::add);
        return out;
    }

    public void visit(Consumer<PlanNode> visitor) {
        visitor.accept(this);
        children.forEach(c -> c.visit(visitor));
    }
}
