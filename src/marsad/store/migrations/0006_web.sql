-- Indexes for the web pages' read queries (marsad serve, marsad report).

-- The search form offers the languages present: a lookup, not a scan of the articles.
CREATE INDEX IF NOT EXISTS articles_language ON articles(language);

-- Article id -> outlet and outlet -> article ids without reading the document rows (which
-- hold the raw text).
CREATE INDEX IF NOT EXISTS documents_id_outlet ON documents(id, outlet);
CREATE INDEX IF NOT EXISTS documents_outlet_id ON documents(outlet, id);

-- Who copies whom, per outlet: the edges leaving or reaching an outlet's articles.
CREATE INDEX IF NOT EXISTS reuse_edges_source ON reuse_edges(source);
CREATE INDEX IF NOT EXISTS reuse_edges_target ON reuse_edges(target);
