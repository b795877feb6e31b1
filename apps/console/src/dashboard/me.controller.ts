import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal } from '../auth/principal';

/** The answer of `GET /api/me`: who the token belongs to, for the dashboard to show the right panels. */
export interface MeView {
  name: string;
  roles: string[];
  council: string | null;
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/me')
export class MeController {
  @Get()
  @Roles('ops', 'auditor', 'council')
  @ApiOperation({ summary: "The caller's name, roles and council (for council tokens)" })
  me(@CurrentPrincipal() principal: Principal): MeView {
    return { name: principal.name, roles: [...principal.roles], council: principal.council ?? null };
  }
}
