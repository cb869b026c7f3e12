"""graphs: vfa guard nodes in LangGraph graphs you already have, and ready-made guarded shapes."""
