# mk/comment_styles.mk - the comment-style table (lib/comment_style.h),
# compiled in from data/comment-styles.tsv. LC_ALL=C: the generator sorts
# keys by bytes, as the lookup's binary search expects.
GEN_SRC += $(BUILD)/gen/comment_styles_data.c

$(BUILD)/gen/comment_styles_data.c: data/comment-styles.tsv data/comment-styles.awk
	@mkdir -p $(dir $@)
	LC_ALL=C awk -f data/comment-styles.awk data/comment-styles.tsv > $@
