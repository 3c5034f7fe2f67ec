"""Config building: pricing, limits, tokenizer rules and the defaults built from them."""
