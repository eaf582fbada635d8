package render

// plainStyles sets no attribute at all: what is rendered with them holds no
// escape sequence, as a terminal shows any rendering under NO_COLOR (Bubble
// Tea's renderer drops the colours there).
func plainStyles() *Styles { return &Styles{} }
