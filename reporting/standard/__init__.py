"""The reporting standard published by the product (``epn standard``): Frictionless Table
Schemas, a documentation page per language and valid example files, all derived from the
one declaration in ``epn/standard.py`` and the message catalogue."""
