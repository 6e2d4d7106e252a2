"""Datasets and preprocessing of the course, framework-free (NumPy, SciPy, scikit-learn).

Import the module you need; nothing heavy is imported by this package itself.

- ``course_lib.data.digits``: scikit-learn's handwritten 8x8 digits, split for the course.
- ``course_lib.data.fsdd``: the Free Spoken Digit Dataset (download, cache, checksums).
- ``course_lib.data.avdigits``: paired image + audio + text digits (the AV-MNIST idea).
- ``course_lib.data.shapes``: a procedural world of coloured shapes with captions.
- ``course_lib.data.audio``: framing, spectrograms, mel filterbank, MFCC.
- ``course_lib.data.text``: tokens, vocabularies, bag-of-words, TF-IDF, word vectors.
- ``course_lib.data.images``: scaling, standardisation, channels-first and channels-last.
- ``course_lib.data.sequences``: padding variable-length sequences and their masks.
"""
