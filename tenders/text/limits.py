"""Bounds on the work one text costs, so that a hostile notice costs what an ordinary long one does.

Every step that reads a notice's text (index analysis, keyword matching, the classifier's compound splitter) stays
within these, so its time is linear in the text it reads and its memory fixed per notice.
"""

MAX_FIELD_CHARS = 100_000  # characters of one text field analysed (a long description is ~20,000)
MAX_TOKEN_CHARS = 64  # a longer "word" is cut to this many characters, in documents and in queries alike
MAX_SPLIT_CHARS = 40  # a longer word is not split into compound parts ("satellitkommunikationsutrustning" is 32)
MAX_QUERY_TOKENS = 32  # a pasted page of text is still a query, not a denial of service
