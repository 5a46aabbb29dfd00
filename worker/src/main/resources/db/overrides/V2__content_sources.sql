-- The upstream CMS feeds the seed draws from.
INSERT INTO content_sources (name, base_url) VALUES
    ('cms-www', 'https://cms.example.com/feeds/www'),
    ('cms-docs', 'https://cms.example.com/feeds/docs'),
    ('cms-blog', 'https://cms.example.com/feeds/blog'),
    ('partner-feed', 'https://partners.example.net/content')
ON CONFLICT (name) DO NOTHING;
