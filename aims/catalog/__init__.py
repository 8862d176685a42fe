"""Reference content: the ISO/IEC 42001 catalogue (standard) loaded from data/catalog/ and
validated at load. Imports aims.common only."""
