package io.pgpartition;

/**
 * Annotation or policy text that cannot be understood: a bad interval, retention, naming pattern or time zone.
 * The message names the annotation, its attribute, the text given and what is expected instead:
 * {@code Invalid @RangePartitions(interval = "1 fortnight"): expected a positive count of ...}.
 */
public class PartitionDefinitionException extends PartitioningException {

    private final String annotation;
    private final String attribute;
    private final String text;
    private final String expected;

    public PartitionDefinitionException(String annotation, String attribute, String text, String expected) {
        super(ErrorCode.DEFINITION_INVALID,
                "Invalid " + annotation + "(" + attribute + " = \"" + text + "\"): expected " + expected);
        this.annotation = annotation;
        this.attribute = attribute;
        this.text = text;
        this.expected = expected;
    }

    /** The annotation (or policy) holding the bad text, such as {@code @RangePartitions}. */
    public String getAnnotation() {
        return annotation;
    }

    /** The attribute holding the bad text, such as {@code interval}. */
    public String getAttribute() {
        return attribute;
    }

    /** The text as given. */
    public String getText() {
        return text;
    }

    /** What is expected instead, as a noun phrase: "a time zone ID such as ...". */
    public String getExpected() {
        return expected;
    }
}
