"""Research-brief site generator: sources and YAML in, a cited MkDocs site out.

Stages, one module each: yamlfile/sources/data (read) -> validate -> citations
(resolve) -> render -> write -> publish. `pipeline.generate` runs the pure stages.
"""

__version__ = "0.1.0"
