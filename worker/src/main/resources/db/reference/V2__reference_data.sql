-- Organizations and equipment categories the seed and the registered queries draw from.
INSERT INTO organizations (id, name) VALUES
    ('HOLNG', 'Holcim Nigeria'),
    ('RIO',   'Rio Tinto Pilbara'),
    ('BHP',   'BHP Olympic Dam'),
    ('FMG',   'Fortescue Metals'),
    ('VALE',  'Vale Carajas'),
    ('ANGLO', 'Anglo American Quellaveco'),
    ('GLEN',  'Glencore Kazzinc'),
    ('NEWM',  'Newmont Boddington'),
    ('BARR',  'Barrick Kibali'),
    ('TECK',  'Teck Highland Valley')
ON CONFLICT (id) DO NOTHING;

INSERT INTO categories (name, equipment_class) VALUES
    ('Cranes', 'Lifting'),
    ('Excavators', 'Earthmoving'),
    ('Trucks', 'Haulage'),
    ('Generators', 'Power'),
    ('Scaffolding', 'Access'),
    ('Loaders', 'Earthmoving'),
    ('Dozers', 'Earthmoving'),
    ('Graders', 'Earthmoving'),
    ('Compressors', 'Power'),
    ('Light Towers', 'Power'),
    ('Forklifts', 'Lifting'),
    ('Pumps', 'Fluids'),
    ('Welders', 'Fabrication'),
    ('Containers', 'Site Services'),
    ('Water Carts', 'Haulage')
ON CONFLICT (name) DO NOTHING;
