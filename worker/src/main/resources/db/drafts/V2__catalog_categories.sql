-- The category tree the seed draws from (the PIM's, flattened to category -> department).
INSERT INTO catalog_categories (name, department) VALUES
    ('Laptops', 'Computing'),
    ('Monitors', 'Computing'),
    ('Keyboards', 'Computing'),
    ('Headphones', 'Audio'),
    ('Speakers', 'Audio'),
    ('Cameras', 'Photo'),
    ('Lenses', 'Photo'),
    ('Phones', 'Mobile'),
    ('Tablets', 'Mobile'),
    ('Smartwatches', 'Wearables'),
    ('Routers', 'Networking'),
    ('Printers', 'Office')
ON CONFLICT (name) DO NOTHING;
