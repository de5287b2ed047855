package org.seglight.inference;

import org.seglight.mask.LabelMask;
import org.seglight.text.PromptSet;

/**
 * Everything one segmentation produced, as plain Java values.
 *
 * @param mask argmax label per image pixel
 * @param probabilities softmax of the final logits per class, at image resolution divided by its scale
 * @param s0 cosine score map before fusion (null for fpn)
 * @param s cosine score map after fusion (null for fpn)
 * @param attention the fusion units' attention (none for fpn and denseclip)
 * @param prompts the classes, index k being class k
 * @param device where it ran
 */
public record SegmentationResult(LabelMask mask, ScoreMaps probabilities, ScoreMaps s0, ScoreMaps s,
        AttentionMaps attention, PromptSet prompts, Timings timings, String device) {}
