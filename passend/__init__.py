"""passend: Begeleiding Passend Onderwijs for samenwerkingsverbanden and their schools."""
